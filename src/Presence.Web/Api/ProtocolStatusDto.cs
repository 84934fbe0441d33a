using System.Text.Json.Serialization;
using Presence.Domain.Model;

namespace Presence.Web.Api;

/// <summary>One protocol's status in REST v1.</summary>
/// <param name="Status">Unified state.</param>
/// <param name="Show">XMPP only: the winning resource's show (<c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c>, <c>dnd</c>); omitted otherwise.</param>
/// <param name="Message">Status message.</param>
/// <param name="Since">When state, show or message last changed (UTC).</param>
/// <param name="Annotation">XEP-0310 annotation, or <c>null</c> when current.</param>
/// <param name="Resources">XMPP only: available resources, best first; omitted otherwise.</param>
public sealed record ProtocolStatusDto(
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Show,
    string Message,
    DateTimeOffset Since,
    AnnotationDto? Annotation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<ResourceDto>? Resources)
{
    /// <summary>The DTO of a status.</summary>
    public static ProtocolStatusDto From(ProtocolStatus s)
    {
        var xmpp = s.Protocol == Protocols.Xmpp;
        return new ProtocolStatusDto(s.State.ToWire(), xmpp ? s.Show?.ToStatusText() : null, s.Message, s.Since,
            AnnotationDto.Of(s.Annotation), xmpp ? [.. s.Resources.Select(ResourceDto.From)] : null);
    }
}
