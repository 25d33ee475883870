namespace PatchGen.Baseline;

/// <summary>A member whose signature messages can quote: a method, property or event.</summary>
internal interface IPrototyped
{
    /// <summary>The member's prototype in <paramref name="style"/>; empty where the reader does not know it in that style.</summary>
    string PrototypeText(TextStyle style);
}
