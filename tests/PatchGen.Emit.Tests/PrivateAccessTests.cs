using Mono.Cecil;
using PatchGen.Runtime;

namespace PatchGen.Emit.Tests;

/// <summary>
/// A patch is another assembly, yet its code uses the base's private and internal members as the
/// fixed method did. That works because the patch declares and applies
/// <c>IgnoresAccessChecksToAttribute</c> for the base, which the runtime honours; the second test
/// removes the attribute and shows that the same patch then fails with an access exception.
/// </summary>
public class PrivateAccessTests
{
    private const string V1 = """
        namespace Access;
        internal sealed class Ledger
        {
            private int _total = 40;
            private static string s_unit = "EUR";
            private int Bonus() => 2;
            private int Secret { get; set; } = 7;
            private sealed class Inner { public int Value = 100; }
            internal int Sum() => _total;
            internal int InnerValue() => new Inner().Value;
        }
        public abstract class Shape { protected virtual int Sides() => 0; protected int Scale = 3; }
        public sealed class Square : Shape
        {
            protected override int Sides() => 4;
            public int Perimeter() => Sides();
        }
        public static class Api
        {
            public static string Report() => new Ledger().Sum().ToString();
            public static string Shape() => new Square().Perimeter().ToString();
        }
        """;

    private const string V2 = """
        namespace Access;
        internal sealed class Ledger
        {
            private int _total = 40;
            private static string s_unit = "EUR";
            private int Bonus() => 2;
            private int Secret { get; set; } = 7;
            private sealed class Inner { public int Value = 100; }
            internal int Sum() => _total + Bonus() + Secret + new Inner().Value;
            internal int InnerValue() => new Inner().Value;
            internal static string Unit() => s_unit;
        }
        public abstract class Shape { protected virtual int Sides() => 0; protected int Scale = 3; }
        public sealed class Square : Shape
        {
            protected override int Sides() => 4;
            public int Perimeter() => Sides() * Scale;
        }
        public static class Api
        {
            public static string Report() => new Ledger().Sum().ToString() + " " + Ledger.Unit();
            public static string Shape() => new Square().Perimeter().ToString();
        }
        """;

    [Fact]
    public void PatchUsesPrivateInternalAndProtectedMembersOfTheBase()
    {
        var patch = InlinePatch.Create("private-access", V1, V2);
        Assert.Equal("40", patch.Call("Access.Api", "Report"));
        Assert.Equal("4", patch.Call("Access.Api", "Shape"));
        var info = PatchRuntime.Enable(patch.PatchPath);
        try
        {
            Transitions.Complete();
            Assert.Equal("149 EUR", patch.Call("Access.Api", "Report"));
            Assert.Equal("12", patch.Call("Access.Api", "Shape"));
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(10));
        }
        Assert.Equal("40", patch.Call("Access.Api", "Report"));
    }

    [Fact]
    public void WithoutIgnoresAccessChecksToTheSamePatchFailsOnAccess()
    {
        var patch = InlinePatch.Create("private-access-denied", V1, V2);
        var stripped = Path.Combine(patch.Directory, "stripped.dll");
        using (var assembly = AssemblyDefinition.ReadAssembly(patch.PatchPath))
        {
            var attributes = assembly.CustomAttributes;
            for (int i = attributes.Count - 1; i >= 0; i--)
            {
                if (attributes[i].AttributeType.Name == "IgnoresAccessChecksToAttribute")
                    attributes.RemoveAt(i);
            }
            assembly.Write(stripped);
        }
        var info = PatchRuntime.Enable(stripped);
        try
        {
            Transitions.Complete();
            var error = Assert.ThrowsAny<MemberAccessException>(() => patch.Call("Access.Api", "Report"));
            Assert.Contains("Access.Ledger", error.Message);
        }
        finally
        {
            PatchRuntime.Disable(info.Id);
            PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(10));
        }
    }
}
