using System.Text.Json.Serialization;

namespace Cases;

public class OrderDto
{
    private decimal _total;

    [JsonPropertyName("total")]
    public decimal Total
    {
        get => _total;
        set => _total = value;
    }
}
