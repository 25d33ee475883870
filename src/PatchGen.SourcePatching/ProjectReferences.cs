using System.Xml.Linq;

namespace PatchGen.SourcePatching;

/// <summary>
/// The projects a project builds with it: itself and every project its project file references with
/// <c>&lt;ProjectReference&gt;</c>, transitively, read from the files as they are (no evaluation). A patch built
/// with <c>--project</c> covers the assemblies of exactly these projects (the changed ones become its bases),
/// so a fix of a file in any other project would be left out of it.
/// </summary>
/// <remarks>
/// Read without MSBuild: a reference under a condition counts as made, and one added through an imported
/// file is not seen. The first can only let a fix through this early check that the build then does not
/// cover; the build's own comparison of the output (which assemblies changed) still decides what the patch
/// holds, and a project left out of it makes the fix incomplete there, so keep references unconditional.
/// </remarks>
internal static class ProjectReferences
{
    /// <summary>Full paths of <paramref name="project"/> and of every project it references, transitively.</summary>
    public static IReadOnlySet<string> Closure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(Path.GetFullPath(project));
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
                continue;
            foreach (var reference in DirectReferences(current))
                pending.Push(reference);
        }
        return seen;
    }

    private static IEnumerable<string> DirectReferences(string project)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(project);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Xml.XmlException)
        {
            return Array.Empty<string>(); // the build reports an unreadable project; this check only narrows
        }
        var folder = Path.GetDirectoryName(project)!;
        return document.Descendants()
            .Where(e => e.Name.LocalName == "ProjectReference")
            .Select(e => (string?)e.Attribute("Include"))
            .OfType<string>()
            .SelectMany(include => include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(include => Path.GetFullPath(Path.Combine(folder, include.Replace('\\', Path.DirectorySeparatorChar))))
            .ToList();
    }
}
