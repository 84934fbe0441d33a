using Presence.Domain.Model;

namespace Presence.Web.Api;

/// <summary>An XMPP resource in REST v1 (RFC 6121 §4.7).</summary>
/// <param name="Resource">Resource part of the full JID.</param>
/// <param name="Show">Show: <c>online</c>, <c>chat</c>, <c>away</c>, <c>xa</c>, <c>dnd</c>.</param>
/// <param name="Priority">Priority −128..127.</param>
/// <param name="Message">Status text.</param>
/// <param name="Ip">Session IP, when known.</param>
/// <param name="Hostname">Reverse DNS of the IP, when known.</param>
/// <param name="Annotation">XEP-0310 annotation or <c>null</c>.</param>
public sealed record ResourceDto(string Resource, string Show, int Priority, string Message, string? Ip, string? Hostname, AnnotationDto? Annotation)
{
    /// <summary>The DTO of a resource.</summary>
    public static ResourceDto From(ResourcePresence r) =>
        new(r.Resource, r.Show.ToStatusText(), r.Priority, r.Message, r.Ip, r.Hostname, AnnotationDto.Of(r.Annotation));
}
