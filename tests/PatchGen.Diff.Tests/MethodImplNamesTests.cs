using Mono.Cecil;
using PatchGen.Rules.Metadata;

namespace PatchGen.Diff.Tests;

/// <summary>
/// The shared rules name MethodImpl flags without Mono.Cecil (the analyzer does not ship it), by a
/// table of their own: it must stay the names Cecil gives, which PG3002 messages have always used.
/// </summary>
public class MethodImplNamesTests
{
    [Fact]
    public void FlagNamesAreCecils()
    {
        var cecil = Enum.GetValues<MethodImplAttributes>()
            .Where(f => f != 0 && (f & MethodImplAttributes.CodeTypeMask) == 0 && ((int)f & ((int)f - 1)) == 0)
            .Distinct()
            .Select(f => ((int)f, f.ToString()))
            .ToList();
        Assert.Equal(cecil, MethodImplText.Flags.Select(f => (f.Key, f.Value)).ToList());
    }

    [Fact]
    public void CodeTypeNamesAreCecils()
    {
        for (int code = 0; code <= (int)MethodImplAttributes.CodeTypeMask; code++)
            Assert.Equal(((MethodImplAttributes)code & MethodImplAttributes.CodeTypeMask).ToString(), MethodImplText.CodeType(code));
    }
}
