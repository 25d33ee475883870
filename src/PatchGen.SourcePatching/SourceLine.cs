namespace PatchGen.SourcePatching;

/// <summary>A line of a text file and the terminator it had (<c>"\n"</c>, <c>"\r\n"</c>, or empty for a last line without one).</summary>
internal readonly record struct SourceLine(string Text, string Eol);
