using System.Collections.Immutable;

namespace Presence.Domain.Model;

/// <summary>
/// A user's status in one protocol (zarafa-presence: <c>{"status", "message"}</c> per plugin), immutable.
/// For XMPP it is the aggregate of <see cref="Resources"/> (docs/ARCHITECTURE.md §3): the resource with the highest priority
/// wins, ties broken by availability then by most recent update.
/// </summary>
/// <param name="Protocol">Protocol name (<see cref="Protocols"/>).</param>
/// <param name="State">Unified state.</param>
/// <param name="Message">Status message, empty when none.</param>
/// <param name="Since">When state, show or message last changed (UTC).</param>
/// <param name="Annotation">XEP-0310 annotation, or <c>null</c> when current.</param>
/// <param name="Show">XMPP only: the winning resource's show; <c>null</c> otherwise or when unavailable.</param>
/// <param name="Resources">XMPP only: available resources, ordered best first; empty otherwise.</param>
/// <param name="Until">
/// Reserved pseudo protocols only (<see cref="Protocols.Preferred"/>, <see cref="Protocols.StatusMessage"/>): when the
/// status ends (UTC), or <c>null</c> for no end; <c>null</c> for every other protocol.
/// </param>
public sealed record ProtocolStatus(
    string Protocol,
    PresenceState State,
    string Message,
    DateTimeOffset Since,
    StateAnnotation? Annotation = null,
    XmppShow? Show = null,
    ImmutableArray<ResourcePresence> Resources = default,
    DateTimeOffset? Until = null)
{
    /// <summary><see cref="Resources"/> never default.</summary>
    public ImmutableArray<ResourcePresence> Resources { get; init; } = Resources.IsDefault ? [] : Resources;

    /// <summary>The resource whose presence is the user's XMPP status, or <c>null</c> when none.</summary>
    public ResourcePresence? WinningResource => Resources.IsEmpty ? null : Resources[0];

    /// <summary>
    /// True when state, show, message, annotation and end (<see cref="Until"/>) are the same — the fields history records
    /// (docs/ARCHITECTURE.md §3). Resource details (count, IP, hostname) are not compared.
    /// </summary>
    public bool SameReportedStatus(ProtocolStatus? other) =>
        other is not null && State == other.State && Show == other.Show &&
        string.Equals(Message, other.Message, StringComparison.Ordinal) && Equals(Annotation, other.Annotation) && Until == other.Until;
}
