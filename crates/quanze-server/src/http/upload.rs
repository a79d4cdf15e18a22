//! Reading an uploaded file from a multipart form: a `file` part, and optional `publish` and
//! `csrf` fields.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;

use super::error::ApiError;

/// The fields of an upload form.
#[derive(Debug, Default)]
pub(crate) struct FileForm {
    pub file_name: String,
    pub bytes: bytes::Bytes,
    pub publish: bool,
    pub csrf: Option<String>,
}

/// Why an upload form could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum UploadError {
    #[error("上传的文件超过 {0} 字节的上限。")]
    TooLarge(usize),
    #[error("表单有误：{0}")]
    Malformed(String),
    #[error("表单中没有名为“file”的文件。")]
    NoFile,
}

impl From<UploadError> for ApiError {
    fn from(e: UploadError) -> ApiError {
        match e {
            UploadError::TooLarge(_) => {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", e.to_string())
            }
            _ => ApiError::bad_request(e.to_string()),
        }
    }
}

/// Read the form, refusing more than `limit` bytes.
pub(crate) async fn read_file_form(mut mp: Multipart, limit: usize) -> Result<FileForm, UploadError> {
    let mut form = FileForm::default();
    let mut have_file = false;
    let refused = |e: MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            UploadError::TooLarge(limit)
        } else {
            UploadError::Malformed(e.body_text())
        }
    };
    loop {
        let Some(field) = mp.next_field().await.map_err(refused)? else { break };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let data = field.bytes().await.map_err(refused)?;
        match name.as_str() {
            "file" => {
                have_file = true;
                form.file_name = file_name.unwrap_or_default();
                form.bytes = data;
            }
            "publish" => form.publish = matches!(&data[..], b"1" | b"true" | b"on" | b"yes"),
            "csrf" => form.csrf = Some(String::from_utf8_lossy(&data).into_owned()),
            _ => {}
        }
    }
    if !have_file {
        return Err(UploadError::NoFile);
    }
    Ok(form)
}
