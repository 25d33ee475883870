namespace PatchGen.Macro.InProcess.StoreModel;

public sealed class Customer
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public DateTime RegisteredAt { get; set; }

    public bool IsVip { get; set; }

    public int? LoyaltyPoints { get; set; }

    public Address BillingAddress { get; set; } = new();

    public List<Address> ShippingAddresses { get; set; } = [];

    public Dictionary<string, string> Preferences { get; set; } = [];

    public List<Order> Orders { get; set; } = [];
}
