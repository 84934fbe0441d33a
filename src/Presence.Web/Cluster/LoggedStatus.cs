using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Presence.Domain.Model;

namespace Presence.Web.Cluster;

/// <summary>
/// The JSON form of a <see cref="ProtocolStatus"/> in the change log (<c>PresenceLog.Status</c>): short member names,
/// states and shows by their wire names, times as ISO 8601 UTC. Written and read only by this service.
/// </summary>
internal static class LoggedStatus
{
    private static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) }, // a number is no state: refused, not cast
    };

    /// <summary>
    /// The status as JSON; a cleared reserved pseudo protocol (<paramref name="status"/> <c>null</c>) as JSON
    /// <c>null</c>. The end of a preferred presence or status message is member <c>U</c> (omitted when none).
    /// </summary>
    public static string Write(ProtocolStatus? status) => status is null ? "null" : JsonSerializer.Serialize(new Status(
        status.State, status.Show, status.Message, status.Since, Of(status.Annotation),
        status.Resources.IsEmpty ? null : [.. status.Resources.Select(r => new Resource(r.Resource, r.Show, r.Priority, r.Message, r.Since, r.Ip, r.Hostname, Of(r.Annotation)))],
        status.Until),
        Options);

    /// <summary>Reads a status written by <see cref="Write"/>; <c>null</c> for a cleared reserved pseudo protocol.</summary>
    /// <exception cref="JsonException">The text is not such a status, or <c>null</c> for a protocol that is not reserved.</exception>
    public static ProtocolStatus? Read(string protocol, string json)
    {
        var s = JsonSerializer.Deserialize<Status>(json, Options);
        if (s is null) return Protocols.IsReserved(protocol) ? null : throw new JsonException("empty status");
        var resources = s.R is null ? ImmutableArray<ResourcePresence>.Empty
            : [.. s.R.Select(r => new ResourcePresence(r.Id, r.Show, r.Priority, r.M ?? "", r.Since, r.Ip, r.Host, Of(r.A)))];
        return new ProtocolStatus(protocol, s.State, s.M ?? "", s.Since, Of(s.A), s.Show, resources, Protocols.IsReserved(protocol) ? s.U : null);
    }

    private static Annotation? Of(StateAnnotation? a) => a is null ? null : new Annotation(a.Kind, a.From, a.Description, a.Since);

    private static StateAnnotation? Of(Annotation? a) => a is null ? null : new StateAnnotation(a.Kind, a.From, a.D, a.Since);

    private sealed record Status(PresenceState State, XmppShow? Show, string? M, DateTimeOffset Since, Annotation? A, Resource[]? R, DateTimeOffset? U = null);

    private sealed record Resource(string Id, XmppShow Show, int Priority, string? M, DateTimeOffset Since, string? Ip, string? Host, Annotation? A);

    private sealed record Annotation(AnnotationKind Kind, string From, string? D, DateTimeOffset Since);
}
