namespace Cases;

public class Invoice
{
    public decimal Net { get; set; }

    public decimal Gross() => Net * 1.2m;
}
