namespace Cases;

public class FeatureFlags
{
    private static bool _expressCheckout = true;

    public static bool ExpressCheckout => _expressCheckout;
}
