using System.Text.Json;

namespace Cases;

public static class Export
{
    public static string Customer(string name, int orders)
    {
        return JsonSerializer.Serialize(new { Name = name, Orders = orders });
    }

    public static string Product(string sku, decimal price)
    {
        return JsonSerializer.Serialize(new { Sku = sku, Price = price });
    }
}
