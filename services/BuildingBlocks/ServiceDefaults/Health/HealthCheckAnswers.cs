using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Grpc.Core;
using Egov.Steering.ServiceDefaults.Serialized;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Egov.Steering.ServiceDefaults.Health;

/// <summary>
/// grpc.health.v1.Health/Check answered in front of routing: a probe needs only the status
/// <see cref="HealthServiceImpl"/> holds for the service asked (the last published result), written as one of four
/// responses framed once, so it skips the endpoint match, the gRPC call machinery and the interceptors that a call
/// to the register needs. Only a plain call is answered here: one uncompressed message naming a known service over
/// HTTP/2. Anything else (an unknown service, compression, a malformed or oversized body, HTTP/1.1) goes on to
/// Grpc.AspNetCore's health service, which answers it as before (NOT_FOUND for an unknown service); so does Watch.
/// </summary>
public static class HealthCheckAnswers
{
    private const string CheckPath = "/grpc.health.v1.Health/Check";

    // A message prefix (compressed flag, length) and a request naming a service: never more than this in a probe.
    private const int MaxPlainRequestBytes = GrpcMessageFrame.PrefixLength + 1024;

    private static readonly Dictionary<ServingStatus, ReadOnlyMemory<byte>> Answers = Enum.GetValues<ServingStatus>()
        .ToDictionary(status => status, status => (ReadOnlyMemory<byte>)GrpcMessageFrame.Of(new HealthCheckResponse { Status = status }.ToByteArray()));

    /// <summary>Answers plain grpc.health.v1 checks before the rest of the pipeline; call it first.</summary>
    public static IApplicationBuilder UseHealthCheckAnswers(this IApplicationBuilder app)
    {
        var statuses = app.ApplicationServices.GetRequiredService<HealthServiceImpl>();
        return app.Use((context, next) => IsPlainCheck(context.Request) ? AnswerAsync(context, statuses, next) : next(context));
    }

    private static bool IsPlainCheck(HttpRequest request) =>
        request.Path.Value == CheckPath
        && HttpMethods.IsPost(request.Method)
        && HttpProtocol.IsHttp2(request.Protocol)
        && request.ContentType is "application/grpc" or "application/grpc+proto"
        && request.Headers.GrpcEncoding is { Count: 0 } or ["identity"];

    private static async Task AnswerAsync(HttpContext context, HealthServiceImpl statuses, RequestDelegate next)
    {
        var body = context.Request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await body.ReadAsync(context.RequestAborted);
            if (read.IsCompleted || read.Buffer.Length > MaxPlainRequestBytes)
            {
                break;
            }

            body.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var answer = read.IsCompleted ? AnswerTo(read.Buffer, statuses) : null;
        // Examined, not consumed: a request not answered here reaches Grpc.AspNetCore whole.
        body.AdvanceTo(answer is null ? read.Buffer.Start : read.Buffer.End, read.Buffer.End);
        if (answer is not { } bytes)
        {
            await next(context);
            return;
        }

        // As DisableHttpMetrics does for the endpoints a probe reaches through routing.
        if (context.Features.Get<IHttpMetricsTagsFeature>() is { } metrics)
        {
            metrics.MetricsDisabled = true;
        }

        var response = context.Response;
        response.ContentType = "application/grpc";
        response.AppendTrailer("grpc-status", "0");
        await response.BodyWriter.WriteAsync(bytes, context.RequestAborted);
    }

    // The framed answer to one uncompressed HealthCheckRequest naming a service the health service knows; else null.
    private static ReadOnlyMemory<byte>? AnswerTo(ReadOnlySequence<byte> body, HealthServiceImpl statuses)
    {
        Span<byte> prefix = stackalloc byte[GrpcMessageFrame.PrefixLength];
        if (body.Length < prefix.Length)
        {
            return null;
        }

        body.Slice(0, prefix.Length).CopyTo(prefix);
        if (prefix[0] != 0 || BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]) != body.Length - prefix.Length)
        {
            return null;
        }

        HealthCheckRequest request;
        try
        {
            request = HealthCheckRequest.Parser.ParseFrom(body.Slice(prefix.Length));
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }

        try
        {
            // HealthServiceImpl answers from its map at once (it reads no call context), or throws NOT_FOUND.
            return Answers[statuses.Check(request, context: null!).Result.Status];
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
