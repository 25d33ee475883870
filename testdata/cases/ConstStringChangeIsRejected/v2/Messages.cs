namespace Cases;

public static class Messages
{
    public const string OutOfStock = "Sorry, this item is currently out of stock.";
}
