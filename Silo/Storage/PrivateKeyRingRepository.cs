using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;

namespace TrackGrains.Silo.Storage;

/// <summary>
/// Data Protection's file-system key ring, with each key file made owner-only after it is written: the key
/// files are what decrypts the stored SoundCharts secrets.
/// </summary>
internal sealed class PrivateKeyRingRepository(DirectoryInfo folder, ILoggerFactory loggerFactory) : IXmlRepository
{
    private readonly FileSystemXmlRepository _files = new(folder, loggerFactory);

    public IReadOnlyCollection<XElement> GetAllElements() => _files.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _files.StoreElement(element, friendlyName);
        foreach (var file in folder.EnumerateFiles("*.xml"))
        {
            PrivateFiles.Restrict(file.FullName);
        }
    }
}
