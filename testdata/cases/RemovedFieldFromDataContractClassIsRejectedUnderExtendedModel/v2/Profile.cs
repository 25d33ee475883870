using System.Runtime.Serialization;

namespace Cases;

[DataContract]
public class Profile
{
    [DataMember] private string _name = "";

    public void Visit(string name)
    {
        _name = name;
    }

    public string Name => _name;
}
