using System.Text.Json.Serialization;

namespace Presence.Web.Api;

/// <summary>JSON source generation for the API (camelCase, ISO 8601 dates).</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UserPresenceDto))]
[JsonSerializable(typeof(List<UserPresenceDto>))]
[JsonSerializable(typeof(List<HistoryEntryDto>))]
[JsonSerializable(typeof(SetStatusRequest))]
[JsonSerializable(typeof(SetPreferredRequest))]
[JsonSerializable(typeof(SetStatusMessageRequest))]
[JsonSerializable(typeof(HealthDto))]
[JsonSerializable(typeof(PublicHealthDto))]
internal sealed partial class PresenceJsonContext : JsonSerializerContext;
