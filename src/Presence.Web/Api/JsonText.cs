using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Presence.Web.Api;

/// <summary>
/// Reading hostile JSON without throwing (issue 9 §2): strict parser options (no duplicate property names, shallow
/// nesting) and string reads that refuse invalid UTF-8 and escaped lone surrogates (<c>"\ud800"</c>), which
/// <see cref="JsonElement.GetString"/> would otherwise throw for (RFC 8259 §8.1–8.2: text must be valid Unicode).
/// </summary>
internal static class JsonText
{
    /// <summary>Deepest nesting accepted in a request body (the deepest valid compat envelope needs 4).</summary>
    public const int MaxDepth = 16;

    /// <summary>Parser options for request bodies: duplicate property names and nesting over <see cref="MaxDepth"/> are errors.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { AllowDuplicateProperties = false, MaxDepth = MaxDepth };

    /// <summary>Serializer options with the same rules, over the API's source-generated context.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowDuplicateProperties = false,
        MaxDepth = MaxDepth,
        TypeInfoResolver = PresenceJsonContext.Default,
    };

    /// <summary>Strict type info of <see cref="SetStatusRequest"/> (REST PUT body).</summary>
    public static JsonTypeInfo<SetStatusRequest> SetStatusRequest { get; } =
        (JsonTypeInfo<SetStatusRequest>)SerializerOptions.GetTypeInfo(typeof(SetStatusRequest));

    /// <summary>Strict type info of <see cref="Api.SetPreferredRequest"/>.</summary>
    public static JsonTypeInfo<SetPreferredRequest> SetPreferredRequest { get; } =
        (JsonTypeInfo<SetPreferredRequest>)SerializerOptions.GetTypeInfo(typeof(SetPreferredRequest));

    /// <summary>Strict type info of <see cref="Api.SetStatusMessageRequest"/>.</summary>
    public static JsonTypeInfo<SetStatusMessageRequest> SetStatusMessageRequest { get; } =
        (JsonTypeInfo<SetStatusMessageRequest>)SerializerOptions.GetTypeInfo(typeof(SetStatusMessageRequest));

    /// <summary>What is wrong with a string that cannot be read, for a 400 detail.</summary>
    public const string NotText = "is not valid text (invalid UTF-8 or an escaped lone surrogate such as \\ud800)";

    /// <summary>Reads a JSON string value; <c>false</c> when it is not a string or not valid Unicode text.</summary>
    public static bool TryGetString(JsonElement element, [NotNullWhen(true)] out string? value)
    {
        value = null;
        if (element.ValueKind != JsonValueKind.String) return false;
        try
        {
            value = element.GetString();
            return value is not null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Reads a property name; <c>false</c> when it is not valid Unicode text.</summary>
    public static bool TryGetName(JsonProperty property, [NotNullWhen(true)] out string? name)
    {
        try
        {
            name = property.Name;
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            name = null;
            return false;
        }
    }

    /// <summary><paramref name="text"/> cut to 64 characters for an error detail (a detail never echoes a whole long value).</summary>
    public static string Quote(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
