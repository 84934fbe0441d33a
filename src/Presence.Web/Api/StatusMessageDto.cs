using System.Text.Json.Serialization;
using Presence.Domain.Model;
using Presence.Web.Data.Entities;
namespace Presence.Web.Api;

/// <summary>A user's status message (REST v1 <c>statusMessage</c>).</summary>
/// <param name="Message">The text.</param>
/// <param name="Until">When it ends (UTC), or <c>null</c> when it lasts until cleared.</param>
/// <param name="Published">When it was set (UTC).</param>
public sealed record StatusMessageDto(string Message, DateTimeOffset? Until, DateTimeOffset Published);
