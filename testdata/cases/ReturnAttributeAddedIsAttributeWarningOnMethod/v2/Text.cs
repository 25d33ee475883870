using System.Diagnostics.CodeAnalysis;

namespace Cases;

public static class Text
{
    [return: NotNullIfNotNull(nameof(value))]
    public static string? Trim(string? value)
    {
        return value?.Trim().ToLowerInvariant();
    }
}
