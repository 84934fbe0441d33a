using System.Text.Json.Serialization;
using Presence.Domain.Model;

namespace Presence.Web.Api;

/// <summary>An XEP-0310 presence state annotation.</summary>
/// <param name="Kind"><c>server-unavailable</c> or <c>connection-paused</c>.</param>
/// <param name="From">The annotating entity (the component JID).</param>
/// <param name="Description">Optional detail.</param>
/// <param name="Since">When the doubt started (UTC); omitted in history entries.</param>
public sealed record AnnotationDto(string Kind, string From, string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? Since)
{
    /// <summary>The DTO of an annotation, or <c>null</c>.</summary>
    public static AnnotationDto? Of(StateAnnotation? a) => a is null ? null : new AnnotationDto(a.KindName, a.From, a.Description, a.Since);
}
