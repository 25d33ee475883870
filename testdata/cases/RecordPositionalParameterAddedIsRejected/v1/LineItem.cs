namespace Cases;

public record LineItem(string Sku, int Quantity)
{
    public bool IsBulk => Quantity >= 100;
}
