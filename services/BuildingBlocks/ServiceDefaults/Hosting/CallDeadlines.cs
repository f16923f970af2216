using System.Globalization;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Egov.Steering.ServiceDefaults.Hosting;

/// <summary>
/// Every unary call has a deadline: the client's, or <see cref="DefaultDeadlineKey"/> when it sent none. gRPC cancels
/// the call's token at the deadline (ending database waits: connection open, command, retry pauses) and answers
/// DEADLINE_EXCEEDED; <see cref="Current"/> lets the database retry strategy give up with UNAVAILABLE instead of
/// starting a retry the deadline cannot see through.
/// </summary>
public static class CallDeadlines
{
    /// <summary>
    /// The deadline of a unary call whose client sent none (a TimeSpan, default 15 s). Streams get none, nor the
    /// methods mapped <see cref="WithoutDefaultCallDeadline{TBuilder}"/>.
    /// </summary>
    public const string DefaultDeadlineKey = "Hosting:DefaultCallDeadline";

    private static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(15);
    private static readonly AsyncLocal<DateTime?> CurrentDeadline = new();

    /// <summary>The UTC deadline of the gRPC call the calling code serves; null outside a call or without a deadline.</summary>
    public static DateTime? Current
    {
        get => CurrentDeadline.Value;
        internal set => CurrentDeadline.Value = value;
    }

    /// <summary>Gives unary calls that came without a <c>grpc-timeout</c> the default one, before gRPC reads it.</summary>
    public static WebApplication UseDefaultCallDeadline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var timeout = app.Configuration.GetValue(DefaultDeadlineKey, DefaultDeadline);
        var header = ((long)Math.Ceiling(timeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture) + "m";
        app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata is { } metadata
                && metadata.GetMetadata<GrpcMethodMetadata>() is { Method.Type: MethodType.Unary }
                && !context.Request.Headers.ContainsKey("grpc-timeout")
                && metadata.GetMetadata<NoDefaultCallDeadline>() is null)
            {
                context.Request.Headers["grpc-timeout"] = header;
            }

            return next(context);
        });
        return app;
    }

    /// <summary>The endpoints' unary calls keep the client's deadline, or none: for methods that answer from memory.</summary>
    public static TBuilder WithoutDefaultCallDeadline<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(NoDefaultCallDeadline.Instance);

    private sealed class NoDefaultCallDeadline
    {
        public static readonly NoDefaultCallDeadline Instance = new();
    }
}
