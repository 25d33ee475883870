namespace Cases;

public static class RequestContext
{
    private static string? _customerId;

    public static void Begin(string customerId) => _customerId = customerId;

    public static string Current => _customerId ?? "anonymous";
}
