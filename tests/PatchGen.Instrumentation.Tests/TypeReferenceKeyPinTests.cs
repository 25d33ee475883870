using Mono.Cecil;
using PatchGen.TestSupport;

namespace PatchGen.Instrumentation.Tests;

/// <summary>
/// Pins, on every type reference of real assemblies (<see cref="TypeReferenceCorpus"/>), what
/// <see cref="GenericRemapper"/> gives: the key that decides which methods share a dispatch stub, and
/// the signature moved into the stub's generic context. Recorded from the hand-written functions
/// before they moved onto one type-reference walker.
/// </summary>
public class TypeReferenceKeyPinTests
{
    public static TheoryData<string> Assemblies() => new(TypeReferenceCorpus.Names);

    // Each dump's SHA-256 (first 32 hex digits) and line count, as PinnedDump.Finish gives them.
    private static readonly Dictionary<string, string> Expected = new(StringComparer.Ordinal)
    {
        ["GenericRemapper.Key.Mono.Cecil"] = "878808d418144953c7a930d1e2872735/1336",
        ["GenericRemapper.Key.System.CommandLine"] = "bdcb730d3c209241556f00e973035bcb/929",
        ["GenericRemapper.Key.TypeShapes"] = "de7a8c7746a1a15273529b574cd82c7e/348",
        ["GenericRemapper.Key.VarargsCase"] = "d287aca73b47078d0b6315e3d3df7a5c/39",
        ["GenericRemapper.Key.VolatileCase"] = "9c81cd37ed6ce7f93446c71303e3ba1c/32",
        ["GenericRemapper.Remap.Mono.Cecil"] = "a7802d289f26ad2de4ff07834353bf21/1336",
        ["GenericRemapper.Remap.System.CommandLine"] = "d195bc705ac0f9b8c6f273d7a5e429ef/929",
        ["GenericRemapper.Remap.TypeShapes"] = "97586790475754fdd37b3a96125e0831/348",
        ["GenericRemapper.Remap.VarargsCase"] = "f47608e4b3e735d26cff7695a8004313/39",
        ["GenericRemapper.Remap.VolatileCase"] = "2640cad225c83935f72d22160680670e/32",
    };

    private static void AssertPinned(PinnedDump dump)
    {
        var actual = dump.Finish();
        Assert.True(Expected.TryGetValue(dump.Name, out var expected) && expected == actual,
            $"{dump.Name}: expected {expected ?? "(none)"}, got {actual} (set PATCHGEN_PIN_DUMP to a folder to see the dump)");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void StubKeys(string name)
    {
        using var assembly = TypeReferenceCorpus.Read(name);
        using var dump = new PinnedDump("GenericRemapper.Key." + name, sorted: true);
        foreach (var use in TypeReferenceCorpus.TypesOf(assembly.MainModule))
            dump.Add(use.TypeArity + " " + TypeReferenceDump.Of(use.Type) + " => " + new GenericRemapper(use.TypeArity, null).Key(use.Type));
        AssertPinned(dump);
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void StubSignatures(string name)
    {
        using var assembly = TypeReferenceCorpus.Read(name);
        var module = assembly.MainModule;
        // The stub: a method with enough generic parameters for any context of the corpus.
        var stub = new MethodReference("Stub", module.TypeSystem.Void, new TypeReference("Pins", "Stubs", module, module));
        for (int i = 0; i < 64; i++)
            stub.GenericParameters.Add(new GenericParameter("S" + i, stub));
        var targets = stub.GenericParameters.Cast<TypeReference>().ToList();
        using var dump = new PinnedDump("GenericRemapper.Remap." + name, sorted: true);
        foreach (var use in TypeReferenceCorpus.TypesOf(module))
        {
            string remapped;
            try
            {
                remapped = TypeReferenceDump.Of(new GenericRemapper(use.TypeArity, targets).Remap(use.Type));
            }
            catch (ArgumentOutOfRangeException)
            {
                remapped = "out of range";
            }
            dump.Add(use.TypeArity + " " + TypeReferenceDump.Of(use.Type) + " => " + remapped);
        }
        AssertPinned(dump);
    }
}
