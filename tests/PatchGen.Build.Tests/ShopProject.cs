namespace PatchGen.Build.Tests;

/// <summary>
/// A small real console project that references PatchGen.Build: a shop whose bulk discount has an
/// off-by-one bug (v1 gives 10% off only above 3 items; the fix, from 3). Run with a patch path, it
/// applies that patch in-process first, then prints the same answer as without: which code ran is
/// visible in the total.
/// </summary>
internal sealed class ShopProject
{
    /// <summary>v1's answer: pens x3 at full price, plus a pad.</summary>
    public const string V1Answer = "total=5.30";

    /// <summary>The fix's answer: pens x3 with 10% off, plus a pad.</summary>
    public const string V2Answer = "total=4.97";

    private const string BuggyRule = "quantity > 3 ? 0.90m : 1.00m";
    private const string FixedRule = "quantity >= 3 ? 0.90m : 1.00m";

    public ShopProject(string directory, string extraProperties = "")
    {
        Directory = directory;
        System.IO.Directory.CreateDirectory(directory);
        Write("App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <PatchGenPatchable>true</PatchGenPatchable>{extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="PatchGen.Build" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        Write("Program.cs", """
            using PatchGen.Runtime;
            using Shop;

            if (args.Length > 0)
            {
                PatchRuntime.Enable(args[0]);
                var transition = PatchRuntime.WaitForTransition(TimeSpan.FromSeconds(30));
                if (!transition.Completed)
                {
                    Console.Error.WriteLine(transition.Warning);
                    return 4;
                }
            }

            var cart = new Cart();
            cart.Add(new Item("pen", 1.10m), 3);
            cart.Add(new Item("pad", 2.00m), 1);
            Console.WriteLine(Receipt.Total(cart));
            return 0;
            """);
        Write("Item.cs", """
            namespace Shop;

            public sealed record Item(string Name, decimal UnitPrice);
            """);
        Write("Cart.cs", """
            namespace Shop;

            public sealed class Cart
            {
                private readonly List<(Item Item, int Quantity)> _lines = new();

                public void Add(Item item, int quantity)
                {
                    _lines.Add((item, quantity));
                }

                public decimal Total()
                {
                    decimal sum = 0;
                    foreach (var (item, quantity) in _lines)
                        sum += Pricing.Price(item, quantity);
                    return sum;
                }
            }
            """);
        Write("Pricing.cs", $$"""
            namespace Shop;

            public static class Pricing
            {
                /// <summary>Bulk discount: 10% off from three of a kind.</summary>
                public static decimal Price(Item item, int quantity)
                {
                    decimal factor = {{BuggyRule}};
                    return Math.Round(item.UnitPrice * quantity * factor, 2);
                }
            }
            """);
        Write("Receipt.cs", """
            using System.Globalization;

            namespace Shop;

            public static class Receipt
            {
                public static string Total(Cart cart) => "total=" + cart.Total().ToString("0.00", CultureInfo.InvariantCulture);
            }
            """);
    }

    public string Directory { get; }

    public string CartPath => Path.Combine(Directory, "Cart.cs");

    public string OutputDirectory => Path.Combine(Directory, "bin", "Release", "net10.0");

    public string OutputAssembly => Path.Combine(OutputDirectory, "App.dll");

    public string IntermediateAssembly => Path.Combine(Directory, "obj", "Release", "net10.0", "App.dll");

    /// <summary>The fix: a method body, nothing else.</summary>
    public void FixDiscount() => Replace("Pricing.cs", BuggyRule, FixedRule);

    /// <summary>
    /// The fix written with a data change the simple model rejects (PG2001): a new instance field that
    /// live carts do not have. Returns the line that declares it.
    /// </summary>
    public int FixWithNewField()
    {
        FixDiscount();
        Replace("Cart.cs", """
                private readonly List<(Item Item, int Quantity)> _lines = new();
            """, """
                private readonly List<(Item Item, int Quantity)> _lines = new();
                private int _itemCount;
            """);
        Replace("Cart.cs", """
                    _lines.Add((item, quantity));
            """, """
                    _lines.Add((item, quantity));
                    _itemCount += quantity;
            """);
        var lines = File.ReadAllLines(CartPath);
        return Array.FindIndex(lines, l => l.Contains("private int _itemCount;", StringComparison.Ordinal)) + 1;
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(Directory, name), text.ReplaceLineEndings("\n") + "\n");

    private void Replace(string name, string from, string to)
    {
        var path = Path.Combine(Directory, name);
        var text = File.ReadAllText(path);
        Assert.Contains(from, text);
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }
}
