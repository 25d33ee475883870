using Mono.Cecil;
using PatchGen.TestSupport;

namespace PatchGen.Emit.Tests;

/// <summary>
/// Pins, on every type reference and method of real assemblies (<see cref="TypeReferenceCorpus"/>),
/// what the patch emitter's functions over Cecil type references give: <see cref="TypeKey"/> (how a
/// member of the new build finds its counterpart in the base) and <see cref="ReferenceMapper"/>'s
/// rewriting of a referenced member's signature into the patch. Recorded from the hand-written
/// functions before they moved onto one type-reference walker.
/// </summary>
public class TypeReferenceKeyPinTests
{
    public static TheoryData<string> Assemblies() => new(TypeReferenceCorpus.Names);

    // Each dump's SHA-256 (first 32 hex digits) and line count, as PinnedDump.Finish gives them.
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["ReferenceMapper.Signature.Mono.Cecil"] = "003be8a51f5aa026cd800a643d6d8b3c/58105",
        ["ReferenceMapper.Signature.System.CommandLine"] = "09c2ee9d676c599872ab96e81c0941da/19267",
        ["ReferenceMapper.Signature.TypeShapes"] = "4f3d9622e7d2a7c6a0651bf6355a355e/1786",
        ["ReferenceMapper.Signature.VarargsCase"] = "85ddb3b51f69d3e608739fee609a5958/93",
        ["ReferenceMapper.Signature.VolatileCase"] = "d748904b1d505526cccd14400d7ac35c/58",
        ["TypeKey.OfMethod.Mono.Cecil"] = "1179a659e3934227537050c0388cfde8/4317",
        ["TypeKey.OfMethod.System.CommandLine"] = "22c10638c24949673c63fe93ac3cdf86/1674",
        ["TypeKey.OfMethod.TypeShapes"] = "fbca611369a525c1e4731ce614023dcc/283",
        ["TypeKey.OfMethod.VarargsCase"] = "a2588764c558248a3d1d3c06dc3ec669/17",
        ["TypeKey.OfMethod.VolatileCase"] = "7ce222746b4df6feed91f2c3d0a0e27d/10",
        ["TypeKey.OfType.Mono.Cecil"] = "44a941656b186b8e63a8199e26eba062/1040",
        ["TypeKey.OfType.System.CommandLine"] = "abbd76a81b51f45afb7a31d33fbb3e30/751",
        ["TypeKey.OfType.TypeShapes"] = "4323c872d2a0c2f3716f634168866613/296",
        ["TypeKey.OfType.VarargsCase"] = "145daceb9d481972a41fc3bbc2c2f6e0/38",
        ["TypeKey.OfType.VolatileCase"] = "a5b3d9de1816da6c0bba1e144412ace1/32",
    };

    private static void AssertPinned(PinnedDump dump)
    {
        var actual = dump.Finish();
        Assert.True(Expected.TryGetValue(dump.Name, out var expected) && expected == actual,
            $"{dump.Name}: expected {expected ?? "(none)"}, got {actual} (set PATCHGEN_PIN_DUMP to a folder to see the dump)");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void TypeKeysOfTypes(string name)
    {
        using var assembly = TypeReferenceCorpus.Read(name);
        using var dump = new PinnedDump("TypeKey.OfType." + name, sorted: true);
        foreach (var use in TypeReferenceCorpus.TypesOf(assembly.MainModule))
            dump.Add(TypeReferenceDump.Of(use.Type) + " => " + TypeKey.Of(use.Type));
        AssertPinned(dump);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void TypeKeysOfMethods(string name)
    {
        using var assembly = TypeReferenceCorpus.Read(name);
        using var dump = new PinnedDump("TypeKey.OfMethod." + name, sorted: true);
        foreach (var method in TypeReferenceCorpus.MethodsOf(assembly.MainModule))
            dump.Add(method.FullName + " => " + TypeKey.Of(method));
        AssertPinned(dump);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void ReferencedSignaturesInThePatch(string name)
    {
        // The new build is its own base: its types map to references to the base, or (generated
        // ones) to copies in the patch; other assemblies' types are imported.
        using var assembly = TypeReferenceCorpus.Read(name);
        var module = assembly.MainModule;
        using var patch = ModuleDefinition.CreateModule("Pins.Patch", ModuleKind.Dll);
        var composers = new PatchComposers();
        var composer = new PatchComposer(module, module, patch, new CustomAttributeCopier(module), composers);
        composers.Add(composer);
        var mapper = new ReferenceMapper(composer, module, patch, composers);
        using var dump = new PinnedDump("ReferenceMapper.Signature." + name);
        foreach (var use in TypeReferenceCorpus.TypesOf(module))
        {
            string mapped;
            try
            {
                mapped = TypeReferenceDump.Of(mapper.Signature(use.Type));
            }
            catch (Exception e) when (e is EmitException or InvalidOperationException or KeyNotFoundException or ArgumentException)
            {
                mapped = "throws " + e.GetType().Name + ": " + e.Message;
            }
            dump.Add(mapped);
        }
        AssertPinned(dump);
    }
}
