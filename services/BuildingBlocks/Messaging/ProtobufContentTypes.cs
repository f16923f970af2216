using System.Net.Mime;

namespace Egov.Steering.Messaging;

/// <summary>
/// <c>application/protobuf; proto=&lt;full message name&gt;</c>: the body is the binary protobuf encoding of the named
/// message, so any language decodes it with the code generated from protos/.
/// </summary>
public static class ProtobufContentTypes
{
    public const string MediaType = "application/protobuf";
    public const string ProtoParameter = "proto";

    public static ContentType Protobuf { get; } = new(MediaType);

    public static ContentType For(string protoName)
    {
        var contentType = new ContentType(MediaType);
        contentType.Parameters[ProtoParameter] = protoName;
        return contentType;
    }
}
