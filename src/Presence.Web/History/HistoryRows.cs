using Presence.Domain.Tracking;
using Presence.Web.Data;
using Presence.Web.Data.Entities;

namespace Presence.Web.History;

/// <summary>Turns feed changes into history rows (docs/ARCHITECTURE.md §3: one row per change of state, show, message or annotation).</summary>
internal static class HistoryRows
{
    /// <summary>
    /// The rows of one change: one for the protocol when its reported status changed
    /// (<see cref="PresenceChange.ProtocolStatusChanged"/>; state <c>cleared</c> when a preferred presence or status
    /// message ended, <see cref="PresenceChange.Cleared"/>), and one with protocol <c>overall</c> when
    /// <see cref="PresenceChange.OverallChanged"/>. Resource details alone (IP, hostname) give no row.
    /// </summary>
    public static void Add(PresenceChange change, List<HistoryRow> rows)
    {
        if (change.ProtocolStatusChanged && change.After.Get(change.Protocol) is { } status)
        {
            rows.Add(PresenceRowMapper.ToHistoryRow(change.User, status, change.At, change.Cause));
        }
        else if (change.Cleared)
        {
            rows.Add(PresenceRowMapper.ToClearedHistoryRow(change.User, change.Protocol, change.At, change.Cause));
        }
        if (change.OverallChanged) rows.Add(PresenceRowMapper.ToOverallHistoryRow(change.After, change.At, change.Cause));
    }
}
