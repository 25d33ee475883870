namespace Cases;

public class Tax
{
    public static decimal Vat(decimal net) => net * 0.2m;
}
