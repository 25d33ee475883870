// Adds 60 items to a new cart and counts the accepted ones: v2's initializer raises the limit from 20 to 50.
using System.Globalization;

public static class Probe
{
    public static string Run()
    {
        var cart = new Cases.Cart();
        int accepted = 0;
        for (int i = 0; i < 60; i++)
            if (cart.Add("item" + i.ToString(CultureInfo.InvariantCulture)))
                accepted++;
        return accepted.ToString(CultureInfo.InvariantCulture);
    }
}
