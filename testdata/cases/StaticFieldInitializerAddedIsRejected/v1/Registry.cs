namespace Cases;

public class FeatureFlags
{
    private static bool _expressCheckout;

    public static bool ExpressCheckout => _expressCheckout;
}
