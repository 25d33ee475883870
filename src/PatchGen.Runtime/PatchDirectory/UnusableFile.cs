namespace PatchGen.Runtime.PatchDirectory;

/// <summary>
/// A patch file name whose current content cannot be used: refused (another user could write it), or
/// not readable as a whole patch. Unreadable content may be a file still being written, so it is reported
/// only once it has stayed the same for the settle time; a refusal is reported at once.
/// </summary>
/// <param name="Name">The file name in the folder.</param>
/// <param name="Stamp">What the file looked like (inode, size, times, mode): a new stamp is a new content to judge.</param>
/// <param name="Diagnostic">The line to log: <c>error PG0001: &lt;path&gt;: &lt;why&gt;</c>.</param>
/// <param name="MaySettle">True for content that may still be being written.</param>
internal sealed record UnusableFile(string Name, string Stamp, string Diagnostic, bool MaySettle);
