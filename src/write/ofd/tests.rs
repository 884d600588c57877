//! OFD writer tests: the package read back as XML.
