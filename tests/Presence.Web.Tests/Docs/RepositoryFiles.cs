namespace Presence.Web.Tests.Docs;

/// <summary>The repository's files as a reader finds them (README, docs, scripts, the dashboard's sources).</summary>
public static class RepositoryFiles
{
    /// <summary>The repository root: the directory above the tests holding <c>Presence.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The text of a file given relative to the root.</summary>
    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Presence.sln"))) dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("no Presence.sln above " + AppContext.BaseDirectory);
        return dir;
    }
}
