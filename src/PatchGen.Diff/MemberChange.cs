namespace PatchGen.Diff;

/// <summary>What happened to a member between the two builds (the <c>kind</c> of docs/cli.md).</summary>
public enum ChangeKind
{
    /// <summary>The method's code differs (its own IL or that of the lambdas, local functions and state machines it owns).</summary>
    BodyChanged,

    /// <summary>The member exists only in the new build.</summary>
    Added,

    /// <summary>The member exists only in the base build.</summary>
    Removed,

    /// <summary>Metadata other than the body differs (signature, attributes, accessibility, value, layout).</summary>
    Changed,
}

/// <summary>A change to one user-written member, named by its documentation comment ID.</summary>
public sealed record MemberChange(string Member, ChangeKind Kind)
{
    /// <summary>The spelling used in JSON and text reports: bodyChanged, added, removed, changed.</summary>
    public string KindName => Kind switch
    {
        ChangeKind.BodyChanged => "bodyChanged",
        ChangeKind.Added => "added",
        ChangeKind.Removed => "removed",
        _ => "changed",
    };
}
