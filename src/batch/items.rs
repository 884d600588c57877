//! The items of the matrix collection, as a build holds them.
//!
//! A folder of a thousand county files is held as its keys, end to end in
//! one string: an `Item` (key, file, fields) is made when a document asks
//! for it and dropped with it, so what a build keeps per document does not
//! grow with the number of items. A list in a data file is loaded with the
//! rest of the data anyway, and its items are kept as they are.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::data::{Item, ItemFile, ItemFolder, Origin};

/// The items of the collection, in collection order.
pub(super) enum Items {
    /// Items of a list, loaded with the data.
    Loaded(Vec<Item>),
    /// Items of a folder, not loaded.
    Folder(FolderItems),
}

/// The files of a folder collection, in key order.
pub(super) struct FolderItems {
    folder: Arc<ItemFolder>,
    /// Every key, end to end.
    keys: String,
    /// Where each key ends in `keys`.
    ends: Vec<u32>,
    /// Files not named `<key>.yaml`, by index (few).
    files: BTreeMap<usize, ItemFile>,
    /// Each item's fields, when output names use them; else empty.
    fields: Vec<BTreeMap<String, String>>,
}

impl Default for Items {
    fn default() -> Self {
        Items::Loaded(Vec::new())
    }
}

impl FolderItems {
    /// No items yet, of files in `folder`.
    pub(super) fn new(folder: Arc<ItemFolder>) -> FolderItems {
        FolderItems { folder, keys: String::new(), ends: Vec::new(), files: BTreeMap::new(), fields: Vec::new() }
    }

    /// Add the next item (keys come in order); `fields` only when output
    /// names use them. None when the keys outgrow the index (4 GiB of keys).
    pub(super) fn push(&mut self, key: &str, file: ItemFile, fields: Option<BTreeMap<String, String>>) -> Option<()> {
        let index = self.ends.len();
        self.keys.push_str(key);
        self.ends.push(u32::try_from(self.keys.len()).ok()?);
        if !file.is_default_name() {
            self.files.insert(index, file);
        }
        if let Some(f) = fields {
            self.fields.resize_with(index, BTreeMap::new);
            self.fields.push(f);
        }
        Some(())
    }

    fn key(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)? as usize;
        let start = if index == 0 { 0 } else { *self.ends.get(index - 1)? as usize };
        self.keys.get(start..end)
    }
}

impl Items {
    /// How many.
    pub(super) fn len(&self) -> usize {
        match self {
            Items::Loaded(v) => v.len(),
            Items::Folder(f) => f.ends.len(),
        }
    }

    /// Whether there are none.
    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the items are files read one at a time.
    pub(super) fn are_files(&self) -> bool {
        matches!(self, Items::Folder(f) if !f.ends.is_empty())
    }

    /// Item `index`'s key.
    pub(super) fn key(&self, index: usize) -> Option<&str> {
        match self {
            Items::Loaded(v) => v.get(index).map(|i| i.key.as_str()),
            Items::Folder(f) => f.key(index),
        }
    }

    /// Item `index`, made for the caller.
    pub(super) fn get(&self, index: usize) -> Option<Item> {
        match self {
            Items::Loaded(v) => v.get(index).cloned(),
            Items::Folder(f) => {
                let key = f.key(index)?;
                let file = match f.files.get(&index) {
                    Some(file) => file.clone(),
                    None => ItemFile::with_default_name(f.folder.clone()),
                };
                let fields = f.fields.get(index).cloned().unwrap_or_default();
                Some(Item { key: key.to_string(), origin: Origin::File(file), fields, index })
            }
        }
    }

    /// Every item, in order.
    pub(super) fn iter(&self) -> impl Iterator<Item = Item> + '_ {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsStr;
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn folder_items_come_back_as_they_went_in() {
        let folder = Arc::new(ItemFolder {
            path: PathBuf::from("/p/data/counties"),
            shown: "data/counties".into(),
            encoding: Default::default(),
        });
        let mut items = FolderItems::new(folder.clone());
        let names = [("anxi", "anxi.yaml"), ("beiling", "beiling.yml"), ("青溪", "青溪.yaml"), ("d", "d.yaml.yml")];
        for (key, name) in names {
            items.push(key, ItemFile::new(folder.clone(), key, OsStr::new(name)), None).unwrap();
        }
        assert_eq!(items.files.len(), 2, "only the names that are not <key>.yaml are kept");
        let items = Items::Folder(items);
        assert_eq!(items.len(), 4);
        assert!(items.are_files());
        for (i, (key, name)) in names.iter().enumerate() {
            let it = items.get(i).unwrap();
            assert_eq!((it.key.as_str(), it.index), (*key, i));
            assert_eq!(items.key(i), Some(*key));
            let Origin::File(f) = &it.origin else { panic!("a file") };
            assert_eq!(f.path(key), PathBuf::from("/p/data/counties").join(name));
            assert_eq!(f.shown(key), format!("data/counties/{name}"));
            assert!(it.fields.is_empty());
        }
        assert!(items.get(4).is_none() && items.key(4).is_none());
        assert_eq!(items.iter().count(), 4);
    }

    #[test]
    fn fields_are_kept_per_item_when_given() {
        let folder = Arc::new(ItemFolder { path: PathBuf::from("d"), shown: "d".into(), encoding: Default::default() });
        let mut items = FolderItems::new(folder.clone());
        for key in ["a", "b"] {
            let f = [("name".to_string(), format!("{key}县"))].into_iter().collect();
            let file = ItemFile::new(folder.clone(), key, OsStr::new(&format!("{key}.yaml")));
            items.push(key, file, Some(f)).unwrap();
        }
        let items = Items::Folder(items);
        assert_eq!(items.get(1).unwrap().fields.get("name").map(String::as_str), Some("b县"));
    }
}
