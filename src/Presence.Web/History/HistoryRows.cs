using Presence.Domain.Model;
using Presence.Domain.Tracking;
using Presence.Web.Data.Entities;

namespace Presence.Web.History;

/// <summary>Turns feed changes into history rows (DESIGN §3: one row per change of state, show, message or annotation).</summary>
public static class HistoryRows
{
    /// <summary>
    /// The rows of one change: one for the protocol when its reported status changed
    /// (<see cref="PresenceChange.ProtocolStatusChanged"/>), and one with protocol <c>overall</c> when
    /// <see cref="PresenceChange.OverallChanged"/>. Resource details alone (IP, hostname) give no row.
    /// </summary>
    public static void Add(PresenceChange change, List<HistoryRow> rows)
    {
        var at = change.At.UtcDateTime;
        var cause = change.Cause.ToWire();
        if (change.ProtocolStatusChanged && change.After.Get(change.Protocol) is { } s)
        {
            rows.Add(new HistoryRow
            {
                UserId = change.User.Value,
                At = at,
                Protocol = s.Protocol,
                State = s.State.ToWire(),
                Show = s.Show?.ToStatusText(),
                Message = s.Message,
                AnnotationKind = s.Annotation?.KindName,
                AnnotationFrom = s.Annotation?.From,
                AnnotationDescription = s.Annotation?.Description,
                Cause = cause,
            });
        }
        if (change.OverallChanged)
        {
            rows.Add(new HistoryRow
            {
                UserId = change.User.Value,
                At = at,
                Protocol = Protocols.Overall,
                State = change.After.Overall.ToWire(),
                Message = "",
                Cause = cause,
            });
        }
    }
}
