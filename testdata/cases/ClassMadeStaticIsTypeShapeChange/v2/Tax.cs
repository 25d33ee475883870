namespace Cases;

public static class Tax
{
    public static decimal Vat(decimal net) => net * 0.2m;
}
