using System.Buffers;

namespace Presence.Web.Api;

/// <summary>Reads a request body with a size limit (413 above it, docs/ARCHITECTURE.md §8), whatever the HTTP method (old clients send a body with GET).</summary>
internal static class RequestBody
{
    /// <summary>Reads the whole body.</summary>
    /// <param name="context">The request.</param>
    /// <param name="maxBytes">Limit in bytes.</param>
    /// <returns>The bytes (empty when there is no body), or an error result (413).</returns>
    public static async ValueTask<(byte[]? Body, IResult? Error)> ReadAsync(HttpContext context, int maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength is { } length && length > maxBytes) return (null, ApiErrors.TooLarge(maxBytes));
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(context.RequestAborted);
            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                reader.AdvanceTo(buffer.End);
                return (null, ApiErrors.TooLarge(maxBytes));
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return (bytes, null);
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
