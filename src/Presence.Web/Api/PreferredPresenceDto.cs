using System.Text.Json.Serialization;
using Presence.Domain.Model;
using Presence.Web.Data.Entities;
namespace Presence.Web.Api;

/// <summary>The presence a user set themselves (REST v1 <c>preferred</c>).</summary>
/// <param name="Status"><c>available</c>, <c>busy</c>, <c>away</c> or <c>unavailable</c> (appear offline).</param>
/// <param name="Message">Message given with it, empty when none.</param>
/// <param name="Until">When it ends (UTC).</param>
public sealed record PreferredPresenceDto(string Status, string Message, DateTimeOffset? Until);
