namespace Presence.Web.Model;

/// <summary>A page of history entries, newest first, with the number matching the range.</summary>
/// <param name="Entries">The entries of the page.</param>
/// <param name="Total">Entries in the range on all pages.</param>
public sealed record HistoryPage(IReadOnlyList<HistoryEntry> Entries, int Total);
