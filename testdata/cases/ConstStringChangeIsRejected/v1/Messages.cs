namespace Cases;

public static class Messages
{
    public const string OutOfStock = "Sorry, this item is out of stock.";
}
