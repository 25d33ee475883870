namespace ShopService.Domain;

/// <summary>A request the shop refuses; <see cref="Code"/> is what the wire protocol reports.</summary>
public sealed class ShopException : Exception
{
    public ShopException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public string Code { get; }
}
