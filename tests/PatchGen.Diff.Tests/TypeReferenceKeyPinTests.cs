using Mono.Cecil;
using PatchGen.Diff.Baseline;
using PatchGen.TestSupport;

namespace PatchGen.Diff.Tests;

/// <summary>
/// Pins, on every type reference and member of real assemblies (<see cref="TypeReferenceCorpus"/>),
/// the exact text of the diff engine's functions over Cecil type references: documentation IDs, the
/// manifest's signature texts, the canonical closure's type names and whole canonical closures. The
/// expected values were recorded from the hand-written functions before they moved onto one
/// type-reference walker; they are keys (reports, manifests, patch metadata name members by them),
/// so any change here is a change of behaviour.
/// </summary>
public class TypeReferenceKeyPinTests
{
    public static TheoryData<string> Assemblies() => new(TypeReferenceCorpus.Names);

    // Each dump's SHA-256 (first 32 hex digits) and line count, as PinnedDump.Finish gives them.
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["CecilSignatures.Members.Mono.Cecil"] = "dc8a0a22979d59664fa668acee423277/5998",
        ["CecilSignatures.Members.System.CommandLine"] = "871d55ddc16a6389813a240f9cc7b6be/1720",
        ["CecilSignatures.Members.TypeShapes"] = "f0519ab742f959a791a092e8bdc731ed/221",
        ["CecilSignatures.Members.VarargsCase"] = "d9fec4fe4d1d721b0004994e8af2614d/3",
        ["CecilSignatures.Members.VolatileCase"] = "3a11661b3377a3bd1f3912d069d924d3/4",
        ["CecilSignatures.Type.Mono.Cecil"] = "284e31b5d62a237f68947bca9ca8fb83/1040",
        ["CecilSignatures.Type.System.CommandLine"] = "00a5ff826940b502fbc58055b7f3b710/751",
        ["CecilSignatures.Type.TypeShapes"] = "1d1f343c02ce0fd1b57433bf77dc972a/296",
        ["CecilSignatures.Type.VarargsCase"] = "9c18da61dfd4e6fbb3a6b4e9374b333f/38",
        ["CecilSignatures.Type.VolatileCase"] = "b512ee6f748140c3cd1f8fa2a426b5ef/32",
        ["ClosureRenderer.Render.Mono.Cecil"] = "16958436696c947398d2fc84f0f2e765/66895",
        ["ClosureRenderer.Render.System.CommandLine"] = "9603b62814be211e5e2a0ea91a8cde24/61583",
        ["ClosureRenderer.Render.TypeShapes"] = "b0bab6e660fcf6f9071f550ee26b18f4/6954",
        ["ClosureRenderer.Render.VarargsCase"] = "6216308b03369822846d23e29a4ae669/25",
        ["ClosureRenderer.Render.VolatileCase"] = "62bae831c65394a0349c1f01ade6b4e2/31",
        ["ClosureRenderer.TypeName.Mono.Cecil"] = "dcebe7c80b11997c41fdaff112962caf/58105",
        ["ClosureRenderer.TypeName.System.CommandLine"] = "1e523588be301c6e2a6f03d83921e2d6/19267",
        ["ClosureRenderer.TypeName.TypeShapes"] = "b167f2ae84c9151b203ff4baf9e814aa/1786",
        ["ClosureRenderer.TypeName.VarargsCase"] = "817ba2a00a5910b34953f4e882d80d71/93",
        ["ClosureRenderer.TypeName.VolatileCase"] = "3caa3407615b6a7946428acba1125803/58",
        ["DocumentationId.AppendType.Mono.Cecil"] = "6f417a8870934922c09afe23788d1e69/1040",
        ["DocumentationId.AppendType.System.CommandLine"] = "6e3c1755fac9bc90d788592712a01aaa/751",
        ["DocumentationId.AppendType.TypeShapes"] = "5f6686ad93bf986972c39dab05029199/296",
        ["DocumentationId.AppendType.VarargsCase"] = "f57e2533a55b9532e9102f49dc6e7afb/38",
        ["DocumentationId.AppendType.VolatileCase"] = "634598b41e9ed661b14edd760dd088d9/32",
        ["DocumentationId.For.Mono.Cecil"] = "fa98ae93231598357104734c58c0d48c/6290",
        ["DocumentationId.For.System.CommandLine"] = "1f526951173a7f5b852e38b2cbb44a59/1831",
        ["DocumentationId.For.TypeShapes"] = "0db5555404fd928fa68dc3b766a93c21/225",
        ["DocumentationId.For.VarargsCase"] = "74e363500b306123111ff71b64ef5468/5",
        ["DocumentationId.For.VolatileCase"] = "63f04f1693cbf1ad2544b390ca17aae3/6",
    };

    private static void AssertPinned(PinnedDump dump)
    {
        var actual = dump.Finish();
        Assert.True(Expected.TryGetValue(dump.Name, out var expected) && expected == actual,
            $"{dump.Name}: expected {expected ?? "(none)"}, got {actual} (set PATCHGEN_PIN_DUMP to a folder to see the dump)");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void DocumentationIdTypeTexts(string name)
    {
        using var assembly = TypeReferenceCorpus.Read(name);
        using var dump = new PinnedDump("DocumentationId.AppendType." + name, sorted: true);
        foreach (var use in TypeReferenceCorpus.TypesOf(assembly.MainModule))
        {
            var builder = new System.Text.StringBuilder();
            DocumentationId.AppendType(use.Type, builder);
            dump.Add(TypeReferenceDump.Of(use.Type) + " => " + builder);
        }
        AssertPinned(dump);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void DocumentationIdsOfMembers(string name)
    {
        using var assembly = TypeReferenceCorpus.Read(name);
        using var dump = new PinnedDump("DocumentationId.For." + name);
        foreach (var type in assembly.MainModule.GetTypes())
        {
            dump.Add(DocumentationId.For(type));
            foreach (var member in type.Methods.Cast<IMemberDefinition>().Concat(type.Fields).Concat(type.Properties).Concat(type.Events))
                dump.Add(DocumentationId.For(member));
        }
        AssertPinned(dump);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void CecilSignatureTypeTexts(string name)
    {
        using var assembly = TypeReferenceCorpus.Read(name);
        using var dump = new PinnedDump("CecilSignatures.Type." + name, sorted: true);
        foreach (var use in TypeReferenceCorpus.TypesOf(assembly.MainModule))
        {
            dump.Add(TypeReferenceDump.Of(use.Type) + " => " + CecilSignatures.Type(use.Type)
                + " | " + TypeReferenceDump.Of(CecilSignatures.StripModifiers(use.Type))
                + " | volatile=" + CecilSignatures.HasRequiredModifier(use.Type, "System.Runtime.CompilerServices.IsVolatile")
                + " in=" + CecilSignatures.HasRequiredModifier(use.Type, "System.Runtime.InteropServices.InAttribute"));
        }
        AssertPinned(dump);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void CecilSignatureMemberTexts(string name)
    {
        using var assembly = TypeReferenceCorpus.Read(name);
        using var dump = new PinnedDump("CecilSignatures.Members." + name);
        foreach (var type in assembly.MainModule.GetTypes())
        {
            foreach (var parameter in type.GenericParameters)
                dump.Add(CecilSignatures.GenericParameter(parameter));
            foreach (var field in type.Fields)
                dump.Add(field.Name + " volatile=" + CecilSignatures.IsVolatile(field));
            foreach (var property in type.Properties)
                dump.Add(property.Name + " " + CecilSignatures.Return(property.PropertyType, property));
            foreach (var method in type.Methods)
            {
                dump.Add(CecilSignatures.Method(method) + " | " + CecilSignatures.Dispatch(method) + " | " + CecilSignatures.NoBody(method));
                foreach (var parameter in method.GenericParameters)
                    dump.Add(CecilSignatures.GenericParameter(parameter));
            }
        }
        AssertPinned(dump);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void ClosureTypeNames(string name)
    {
        // In order, from one renderer: a generated type is named by order of first reference.
        using var assembly = TypeReferenceCorpus.Read(name);
        var renderer = new ClosureRenderer(assembly.MainModule);
        using var dump = new PinnedDump("ClosureRenderer.TypeName." + name);
        foreach (var use in TypeReferenceCorpus.TypesOf(assembly.MainModule))
            dump.Add(renderer.TypeName(use.Type));
        AssertPinned(dump);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void CanonicalClosures(string name)
    {
        using var assembly = TypeReferenceCorpus.Read(name);
        using var again = TypeReferenceCorpus.Read(name);
        var renderer = new ClosureRenderer(assembly.MainModule);
        var other = new ClosureRenderer(again.MainModule);
        var otherMethods = again.MainModule.GetTypes().SelectMany(t => t.Methods).ToDictionary(m => m.MetadataToken.ToUInt32());
        using var dump = new PinnedDump("ClosureRenderer.Render." + name);
        foreach (var method in assembly.MainModule.GetTypes().SelectMany(t => t.Methods))
        {
            if (!method.HasBody)
                continue;
            Assert.True(renderer.RendersSameAs(method, other, otherMethods[method.MetadataToken.ToUInt32()]), method.FullName);
            var closure = renderer.Render(method, keepOrigins: true);
            dump.Add(method.FullName + " " + closure.HashHex);
            foreach (var section in closure.Sections)
                dump.Add("  section " + section.Kind + " " + section.Member.FullName + " " + Convert.ToHexString(section.Hash));
            foreach (var type in closure.GeneratedTypes)
                dump.Add("  type " + type.FullName);
            foreach (var generated in closure.GeneratedMethods)
                dump.Add("  method " + generated.FullName);
            for (int i = 0; i < closure.Text!.Count; i++)
            {
                var (origin, instruction) = closure.Origins![i];
                dump.Add("  " + closure.Text[i].ToString() + "    @" + origin?.FullName + (instruction is null ? "" : ":" + instruction.Offset));
            }
            var plain = renderer.Render(method);
            Assert.Equal(closure.HashHex, plain.HashHex);
            Assert.Null(plain.Text);
        }
        AssertPinned(dump);
    }
}
