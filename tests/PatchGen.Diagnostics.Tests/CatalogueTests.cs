using System.Reflection;
using System.Text.RegularExpressions;

namespace PatchGen.Diagnostics.Tests;

/// <summary>The catalogue's own rules: each ID defined once, listed once, in order, and fully documented.</summary>
public class CatalogueTests
{
    private static IEnumerable<DiagnosticDescriptor> Declared()
        => typeof(DiagnosticCatalog).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    [Fact]
    public void AllListsEveryDeclaredDescriptorOnceInIdOrder()
    {
        var ids = DiagnosticCatalog.All.Select(d => d.Id).ToList();
        Assert.Equal(Declared().Select(d => d.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EveryIdIsFourDigitsInARangeOfTheCatalogue()
    {
        foreach (var descriptor in DiagnosticCatalog.All)
            Assert.Matches("^PG[0-4][0-9]{3}$", descriptor.Id);
    }

    [Fact]
    public void EveryEntryIsDocumented()
    {
        foreach (var descriptor in DiagnosticCatalog.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title), descriptor.Id);
            Assert.EndsWith(".", descriptor.Description, StringComparison.Ordinal);
            Assert.EndsWith(".", descriptor.HowToFix, StringComparison.Ordinal);
            // The page renders these as Markdown: an unpaired backtick would swallow the rest of a section.
            Assert.True(descriptor.Description.Count(c => c == '`') % 2 == 0, descriptor.Id + " description");
            Assert.True(descriptor.HowToFix.Count(c => c == '`') % 2 == 0, descriptor.Id + " how to fix");
        }
    }

    [Fact]
    public void GetFindsEveryIdAndRefusesUnknownOnes()
    {
        foreach (var descriptor in DiagnosticCatalog.All)
            Assert.Same(descriptor, DiagnosticCatalog.Get(descriptor.Id));
        Assert.Throws<ArgumentException>(() => DiagnosticCatalog.Get("PG9999"));
    }

    [Fact]
    public void EveryMessageFormatsWithAsManyArgumentsAsItUses()
    {
        foreach (var descriptor in DiagnosticCatalog.All)
        {
            int arguments = Regex.Matches(descriptor.MessageFormat, @"\{(\d+)\}").Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1).DefaultIfEmpty(0).Max();
            var formatted = descriptor.Format(Enumerable.Range(0, arguments).Select(i => (object)("arg" + i)).ToArray());
            Assert.DoesNotMatch(@"\{\d+\}", formatted);
        }
    }
}
