from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.revocation_list_document_subjects import RevocationListDocumentSubjects


T = TypeVar("T", bound="RevocationListDocument")


@_attrs_define
class RevocationListDocument:
    """What verifiers fetch: digests of revoked token ids and least generations per account.

    Attributes:
        access_tokens (list[str]): SHA-256 hex digests of the `jti` of access tokens revoked before expiry.
        subjects (RevocationListDocumentSubjects): For accounts changed lately (deactivated, roles changed), the SHA-256
            hex digest of the account id and the least `gen` claim its tokens must carry.
    """

    access_tokens: list[str]
    subjects: RevocationListDocumentSubjects
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_tokens = self.access_tokens

        subjects = self.subjects.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_tokens": access_tokens,
                "subjects": subjects,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.revocation_list_document_subjects import RevocationListDocumentSubjects  # noqa: PLC0415

        d = dict(src_dict)
        access_tokens = cast(list[str], d.pop("access_tokens"))

        subjects = RevocationListDocumentSubjects.from_dict(d.pop("subjects"))

        revocation_list_document = cls(
            access_tokens=access_tokens,
            subjects=subjects,
        )

        revocation_list_document.additional_properties = d
        return revocation_list_document

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
