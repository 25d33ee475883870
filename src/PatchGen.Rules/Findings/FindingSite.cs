using PatchGen.Baseline;

namespace PatchGen.Rules.Findings;

/// <summary>
/// Where a finding points: a kind of site, the build it is in and the model element it is about
/// (a <see cref="BaselineType"/>, <see cref="BaselineField"/>, <see cref="BaselineMethod"/> or
/// <see cref="BaselineProperty"/>), which the host maps to a source location.
/// </summary>
internal readonly struct FindingSite
{
    private FindingSite(SiteKind kind, Side side, object subject, int parameter = -1)
    {
        Kind = kind;
        Side = side;
        Subject = subject;
        Parameter = parameter;
    }

    public SiteKind Kind { get; }

    public Side Side { get; }

    public object Subject { get; }

    /// <summary>For <see cref="SiteKind.DefaultValue"/>: the parameter's index.</summary>
    public int Parameter { get; }

    public static FindingSite Type(Side side, BaselineType type) => new FindingSite(SiteKind.Type, side, type);

    public static FindingSite Field(Side side, BaselineField field) => new FindingSite(SiteKind.Field, side, field);

    public static FindingSite PropertyOrEvent(Side side, BaselineProperty member) => new FindingSite(SiteKind.PropertyOrEvent, side, member);

    public static FindingSite Signature(Side side, BaselineMethod method) => new FindingSite(SiteKind.Signature, side, method);

    public static FindingSite ConstantValue(BaselineField field) => new FindingSite(SiteKind.ConstantValue, Side.New, field);

    public static FindingSite DefaultValue(BaselineMethod method, int parameter) => new FindingSite(SiteKind.DefaultValue, Side.New, method, parameter);

    public static FindingSite StaticInitialization(BaselineType type) => new FindingSite(SiteKind.StaticInitialization, Side.New, type);
}
