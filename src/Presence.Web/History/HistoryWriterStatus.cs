namespace Presence.Web.History;

/// <summary>History writer counters.</summary>
/// <param name="CommittedSequence">Last committed change sequence.</param>
/// <param name="Batches">Transactions committed.</param>
/// <param name="Rows">History rows written.</param>
/// <param name="LostChanges">Changes dropped because the writer fell behind (their rows were not written).</param>
/// <param name="LastCommit">Time of the last commit (UTC), or <c>null</c>.</param>
/// <param name="LastError">Last write error, cleared on success.</param>
public sealed record HistoryWriterStatus(long CommittedSequence, long Batches, long Rows, long LostChanges, DateTimeOffset? LastCommit, string? LastError);
