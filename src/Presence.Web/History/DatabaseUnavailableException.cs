namespace Presence.Web.History;

/// <summary>Thrown to a commit waiter while the database is unavailable (<see cref="HistoryWriter.Outage"/>).</summary>
/// <param name="outage">The current outage.</param>
internal sealed class DatabaseUnavailableException(DatabaseOutage outage) : Exception($"The database is unavailable: {outage.Cause}")
{
    /// <summary>The current outage.</summary>
    public DatabaseOutage Outage { get; } = outage;
}
