namespace PatchGen.Diff;

/// <summary>
/// A lambda or local function that the patch replaces in place, through its own patch site, so that
/// delegates created before the patch run the new body. Reported with its owner (the user method
/// whose <c>bodyChanged</c> it is part of), described in C# terms (<c>lambda</c>, <c>local function
/// Keep</c>), never by its generated name.
/// </summary>
/// <param name="Owner">The owner's documentation ID.</param>
/// <param name="Lambda">What it is, in words: <c>lambda</c>, <c>async lambda</c>, <c>local function Keep</c>.</param>
/// <param name="File">Its source file in the new build.</param>
/// <param name="Line">The first line of its code in the new build.</param>
/// <param name="OwnerReplaced">Whether the owner is replaced too (its own code changed, or something it owns could not be matched).</param>
public sealed record LambdaReplacement(string Owner, string Lambda, string? File, int? Line, bool OwnerReplaced);
