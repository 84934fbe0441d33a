using System.Text.RegularExpressions;

namespace Presence.Web.Tests.Docs;

/// <summary>What the documentation and the dashboard cite exists: sections linked in Markdown, no document outside the repository.</summary>
public sealed partial class DocumentationLinkTests
{
    private static IEnumerable<string> MarkdownFiles() =>
        new[] { Path.Combine(RepositoryFiles.Root, "README.md") }.Concat(Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "docs"), "*.md"));

    /// <summary>GitHub's anchor of a heading: lower case, punctuation other than '-' and '_' removed, spaces as '-'.</summary>
    private static string Anchor(string heading) =>
        NotAnchorCharacter().Replace(heading.Trim().ToLowerInvariant(), "").Replace(' ', '-');

    [Fact]
    public void EverySectionLinkedFromTheDocumentationExists()
    {
        var missing = new List<string>();
        foreach (var file in MarkdownFiles())
        {
            foreach (Match link in SectionLink().Matches(File.ReadAllText(file)))
            {
                var target = link.Groups["file"].Value.Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, link.Groups["file"].Value));
                if (!File.Exists(target))
                {
                    missing.Add($"{Path.GetFileName(file)}: {link.Value} (no file)");
                    continue;
                }
                var anchors = Heading().Matches(File.ReadAllText(target)).Select(h => Anchor(h.Groups["text"].Value)).ToHashSet();
                if (!anchors.Contains(link.Groups["anchor"].Value)) missing.Add($"{Path.GetFileName(file)}: {link.Value}");
            }
        }
        Assert.Empty(missing);
    }

    // The section citations of a design document that is not part of the repository, spelled so that this file does
    // not contain one itself.
    private const string OutsideDesignCitation = "DESIGN \u00a7";

    [Fact]
    public void NeitherTheDocsNorTheDashboardCiteADocumentOutsideTheRepository()
    {
        var files = MarkdownFiles().Concat(Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "src"), "*.razor", SearchOption.AllDirectories));
        Assert.Empty(files.Where(f => File.ReadAllText(f).Contains(OutsideDesignCitation, StringComparison.Ordinal)).Select(Path.GetFileName));
    }

    [GeneratedRegex(@"\]\((?<file>[^)#\s]*\.md)?#(?<anchor>[^)\s]+)\)")]
    private static partial Regex SectionLink();

    [GeneratedRegex(@"^#{1,6}\s+(?<text>.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"[^\p{L}\p{N}\s_-]")]
    private static partial Regex NotAnchorCharacter();
}
