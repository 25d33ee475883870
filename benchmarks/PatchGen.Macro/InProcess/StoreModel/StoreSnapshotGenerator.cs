using System.Globalization;

namespace PatchGen.Macro.InProcess.StoreModel;

/// <summary>
/// A deterministic <see cref="StoreSnapshot"/>: the same seed gives the same graph, so every run serializes the
/// same document (about 60 KB of JSON for 24 customers). Strings mix ASCII, accents, quotes and newlines so the
/// writer's escaping paths run too.
/// </summary>
public static class StoreSnapshotGenerator
{
    private static readonly string[] Cities = ["Lyon", "Zürich", "Kraków", "Porto", "Göteborg", "Bilbao", "Gent", "Brno"];
    private static readonly string[] Products = ["Espresso cup", "Notebook \"A5\"", "USB-C cable 2 m", "Crème brûlée torch", "Desk lamp", "Wool socks", "Tea sampler", "Phone stand"];
    private static readonly string[] Categories = ["kitchen", "office", "electronics", "clothing", "grocery", "home"];

    public static StoreSnapshot Create(int customers = 24, int seed = 20261123)
    {
        var random = new Random(seed);
        var start = new DateTime(2026, 1, 1, 8, 0, 0, DateTimeKind.Utc);
        var snapshot = new StoreSnapshot
        {
            StoreId = "store-eu-west-7",
            GeneratedAt = start.AddDays(300).AddSeconds(12345),
            Notices = ["Inventory counted on 2026-10-31", "Prices include VAT where applicable", "Zwischenstand – vorläufig"],
        };
        for (int c = 0; c < customers; c++)
            snapshot.Customers.Add(CreateCustomer(random, start, c));
        foreach (var category in Categories)
        {
            snapshot.Categories[category] = new CategoryStats
            {
                Products = random.Next(10, 500),
                Revenue = Math.Round((decimal)(random.NextDouble() * 100_000), 2),
                AverageRating = Math.Round(1 + (random.NextDouble() * 4), 3),
                TopProductIds = Enumerable.Range(0, 8).Select(_ => random.Next(1000, 99999)).ToList(),
            };
        }
        return snapshot;
    }

    private static Customer CreateCustomer(Random random, DateTime start, int index)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        var customer = new Customer
        {
            Id = new Guid(bytes),
            Name = $"Customer {index:000} {Cities[index % Cities.Length]}",
            Email = $"customer{index}@example.test",
            RegisteredAt = start.AddDays(-random.Next(1, 2000)).AddMinutes(random.Next(0, 1440)),
            IsVip = index % 5 == 0,
            LoyaltyPoints = index % 3 == 0 ? null : random.Next(0, 20_000),
            BillingAddress = CreateAddress(random, index),
            Preferences = new Dictionary<string, string>
            {
                ["language"] = index % 2 == 0 ? "en-GB" : "de-CH",
                ["newsletter"] = (index % 4 == 0).ToString(CultureInfo.InvariantCulture),
                ["currency"] = "EUR",
            },
        };
        for (int a = 0; a < 1 + (index % 3); a++)
            customer.ShippingAddresses.Add(CreateAddress(random, index + a + 1));
        for (int o = 0; o < 2 + (index % 5); o++)
            customer.Orders.Add(CreateOrder(random, start, index, o));
        return customer;
    }

    private static Address CreateAddress(Random random, int index) => new()
    {
        Street = $"{random.Next(1, 300)} Rue de l'Exemple",
        City = Cities[index % Cities.Length],
        PostalCode = random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture),
        Country = index % 2 == 0 ? "FR" : "CH",
        Latitude = Math.Round(40 + (random.NextDouble() * 15), 6),
        Longitude = Math.Round(-5 + (random.NextDouble() * 25), 6),
    };

    private static Order CreateOrder(Random random, DateTime start, int customer, int index)
    {
        var order = new Order
        {
            Number = 1_000_000L + (customer * 100) + index,
            PlacedAt = new DateTimeOffset(DateTime.SpecifyKind(start.AddHours(random.Next(0, 7000)), DateTimeKind.Unspecified), TimeSpan.FromHours(index % 3)),
            Status = (OrderStatus)(index % 5),
            Comment = index % 3 == 0 ? null : $"Leave at the door, please.\nCode: \"{random.Next(1000, 9999)}\" – merci!",
            Tags = index % 2 == 0 ? ["gift", "express"] : ["standard"],
        };
        for (int l = 0; l < 2 + ((customer + index) % 4); l++)
        {
            order.Lines.Add(new OrderLine
            {
                Sku = $"SKU-{random.Next(100, 999)}-{(char)('A' + (l % 26))}",
                Description = Products[(customer + l) % Products.Length],
                Quantity = random.Next(1, 12),
                UnitPrice = Math.Round((decimal)(random.NextDouble() * 200), 2),
                DiscountRate = l % 3 == 0 ? 0.1 : 0,
            });
        }
        order.Total = order.Lines.Sum(l => l.UnitPrice * l.Quantity * (decimal)(1 - l.DiscountRate));
        return order;
    }
}
