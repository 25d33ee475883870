namespace PatchGen.Analyzers.Tests;

/// <summary>
/// Every diagnostic the analyzer reports, once where the edit breaks the rule (at the edited syntax)
/// and once where a similar edit is patchable and nothing may be reported.
/// </summary>
public class DiagnosticTests
{
    private static Task Verify(string v1, string v2) => BaselineEdit.VerifyAsync(v1, v2);

    private const string Cart = """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            public const int Limit = 10;
            public void Add(decimal price) => _subtotal += price;
            public decimal Total(int n) => _subtotal * n;
        }
        """;

    [Fact]
    public Task PG1001_ParameterTypeChanged() => Verify(Cart, """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            public const int Limit = 10;
            public void Add(decimal price) => _subtotal += price;
            public {|PG1001:decimal Total(long n)|} => _subtotal * n;
        }
        """);

    [Fact]
    public Task PG1001_NotForAParameterRename() => Verify(Cart, """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            public const int Limit = 10;
            public void Add(decimal price) => _subtotal += price;
            public decimal Total(int count) => _subtotal * count + 1;
        }
        """);

    [Fact]
    public Task PG1002_MethodTypeParameterAdded() => Verify(
        "namespace Shop; public static class Util { public static T First<T>(T[] items) => items[0]; }",
        "namespace Shop; public static class Util { public static {|PG1002:T First<T, U>(T[] items)|} => items[0]; }");

    [Fact]
    public Task PG1002_NotForATypeParameterRename() => Verify(
        "namespace Shop; public static class Util { public static T First<T>(T[] items) => items[0]; }",
        "namespace Shop; public static class Util { public static TItem First<TItem>(TItem[] items) => items[items.Length - 1]; }");

    [Fact]
    public Task PG1003_VirtualMethodAdded() => Verify(
        "namespace Shop; public class Shape { public double Area() => 0; }",
        "namespace Shop; public class Shape { public double Area() => 0; public virtual {|PG1003:double Perimeter()|} => 0; }");

    [Fact]
    public Task PG1003_NotForANonVirtualMethodAdded() => Verify(
        "namespace Shop; public class Shape { public double Area() => 0; }",
        "namespace Shop; public class Shape { public double Area() => Perimeter(); private double Perimeter() => 0; }");

    [Fact]
    public Task PG1004_BaseTypeChanged() => Verify(
        "namespace Shop; public class Item { } public class Special { } public class Order : Item { }",
        "namespace Shop; public class Item { } public class Special { } public class {|PG1004:Order|} : Special { }");

    [Fact]
    public Task PG1004_NotForInterfacesSwapped() => Verify(
        "namespace Shop; public interface IA { } public interface IB { } public class Order : IA, IB { }",
        "namespace Shop; public interface IA { } public interface IB { } public class Order : IB, IA { }");

    [Fact]
    public Task PG1005_MethodAddedToInterface() => Verify(
        "namespace Shop; public interface IPrices { decimal Price(int id); }",
        "namespace Shop; public interface IPrices { decimal Price(int id); {|PG1005:decimal Discount(int id)|}; }");

    [Fact]
    public Task PG1005_NotForADefaultMethodBodyChange() => Verify(
        "namespace Shop; public interface IPrices { decimal Price(int id) => 1m; }",
        "namespace Shop; public interface IPrices { decimal Price(int id) => 2m; }");

    [Fact]
    public Task PG1006_DllImportEntryPointChanged() => Verify(
        "using System.Runtime.InteropServices; namespace Shop; public static class Clock { [DllImport(\"libc\", EntryPoint = \"time\")] public static extern long Time(nint t); }",
        "using System.Runtime.InteropServices; namespace Shop; public static class Clock { [DllImport(\"libc\", EntryPoint = \"time64\")] public static extern {|PG1006:long Time(nint t)|}; }");

    [Fact]
    public Task PG1006_NotForTheManagedWrapperOfADllImport() => Verify(
        "using System.Runtime.InteropServices; namespace Shop; public static class Clock { [DllImport(\"libc\", EntryPoint = \"time\")] private static extern long Time(nint t); public static long Now() => Time(0); }",
        "using System.Runtime.InteropServices; namespace Shop; public static class Clock { [DllImport(\"libc\", EntryPoint = \"time\")] private static extern long Time(nint t); public static long Now() => Time(0) + 1; }");

    [Fact]
    public Task PG2001_InstanceFieldAdded() => Verify(Cart, """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            private decimal {|PG2001:_discount|};
            public const int Limit = 10;
            public void Add(decimal price) => _subtotal += price;
            public decimal Total(int n) => _subtotal * n - _discount;
        }
        """);

    [Fact]
    public Task PG2001_AutoPropertyAddedIsReportedAtTheProperty() => Verify(Cart, """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            public string {|PG2001:Owner|} { get; set; } = "";
            public const int Limit = 10;
            public void Add(decimal price) => _subtotal += price;
            public decimal Total(int n) => _subtotal * n;
        }
        """);

    [Fact]
    public Task PG2001_NotForAConstantAdded() => Verify(Cart, """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            public const int Limit = 10;
            public const int Minimum = 1;
            public void Add(decimal price) => _subtotal += price;
            public decimal Total(int n) => _subtotal * (n + Minimum);
        }
        """);

    [Fact]
    public Task PG2001_NotForAFieldOfANewType() => Verify(Cart, Cart + "\npublic class Coupon { private decimal _value; public decimal Value => _value; }");

    [Fact]
    public Task PG2002_FieldRemovedIsReportedAtTheType() => Verify(Cart, """
        namespace Shop;
        public class {|PG2002:Cart|}
        {
            public const int Limit = 10;
            public void Add(decimal price) { }
            public decimal Total(int n) => n;
        }
        """);

    [Fact]
    public Task PG2002_NotForAConstantRemoved() => Verify(Cart, """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            public void Add(decimal price) => _subtotal += price;
            public decimal Total(int n) => _subtotal * n;
        }
        """);

    [Fact]
    public Task PG2003_FieldMadeReadonly() => Verify(
        "namespace Shop; public class Cart { private int _count; public int Count() => _count; }",
        "namespace Shop; public class Cart { private readonly int {|PG2003:_count|}; public int Count() => _count; }");

    [Fact]
    public Task PG2003_NotForANullableAnnotation() => Verify(
        "namespace Shop; public class Cart { private string _name = \"\"; public string Name() => _name; }",
        "namespace Shop; public class Cart { private string? _name = \"\"; public string Name() => _name ?? \"\"; }");

    [Fact]
    public Task PG2004_StaticFieldInitializerChanged() => Verify(
        "namespace Shop; public static class Tax { private static readonly decimal Rate = 0.20m; public static decimal Add(decimal n) => n * (1 + Rate); }",
        "namespace Shop; public static class Tax { private static readonly decimal Rate {|PG2004:= 0.21m|}; public static decimal Add(decimal n) => n * (1 + Rate); }");

    [Fact]
    public Task PG2004_StaticConstructorAdded() => Verify(
        "namespace Shop; public static class Tax { private static decimal Rate; public static decimal Add(decimal n) => n * (1 + Rate); }",
        "namespace Shop; public static class Tax { private static decimal Rate; {|PG2004:static Tax()|} { Rate = 0.2m; } public static decimal Add(decimal n) => n * (1 + Rate); }");

    [Fact]
    public Task PG2004_NotForReformattingOrComments() => Verify(
        "namespace Shop; public static class Tax { private static readonly decimal Rate = 0.20m; public static decimal Add(decimal n) => n * (1 + Rate); }",
        """
        namespace Shop;
        public static class Tax
        {
            // The standard rate.
            private static readonly decimal Rate =
                0.20m;
            public static decimal Add(decimal n) => n * (1 + Rate) + 0;
        }
        """);

    [Fact]
    public Task PG2004_NotForAnInstanceFieldInitializer() => Verify(
        "namespace Shop; public class Cart { private int _limit = 5; public int Limit() => _limit; }",
        "namespace Shop; public class Cart { private int _limit = 6; public int Limit() => _limit; }");

    [Fact]
    public Task PG2005_ConstantValueChanged() => Verify(Cart, """
        namespace Shop;
        public class Cart
        {
            private decimal _subtotal;
            public const int {|PG2005:Limit|} = {|PG2005_:12|};
            public void Add(decimal price) => _subtotal += price;
            public decimal Total(int n) => _subtotal * n;
        }
        """.Replace("{|PG2005:Limit|}", "Limit").Replace("PG2005_", "PG2005"));

    [Fact]
    public Task PG2005_EnumMemberValueChanged() => Verify(
        "namespace Shop; public enum Size { Small = 1, Large = 2 }",
        "namespace Shop; public enum Size { Small = 1, Large = {|PG2005:3|} }");

    [Fact]
    public Task PG2005_NotForAnEnumMemberAdded() => Verify(
        "namespace Shop; public enum Size { Small = 1, Large = 2 }",
        "namespace Shop; public enum Size { Small = 1, Large = 2, Huge = 3 }");

    [Fact]
    public Task PG2006_StructPackChanged() => Verify(
        "using System.Runtime.InteropServices; namespace Shop; [StructLayout(LayoutKind.Sequential, Pack = 4)] public struct Header { public int A; public long B; }",
        "using System.Runtime.InteropServices; namespace Shop; [StructLayout(LayoutKind.Sequential, Pack = 8)] public struct {|PG2006:Header|} { public int A; public long B; }");

    [Fact]
    public Task PG2006_SequentialStructFieldOrderSwapped() => Verify(
        "namespace Shop; public struct Point { public int X; public int Y; }",
        "namespace Shop; public struct {|PG2006:Point|} { public int Y; public int X; }");

    [Fact]
    public Task PG2006_NotForAClassFieldOrderSwap() => Verify(
        "namespace Shop; public class Point { public int X; public int Y; }",
        "namespace Shop; public class Point { public int Y; public int X; }");
}
