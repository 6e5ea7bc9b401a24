"""Contains all the data models used in inputs/outputs"""

from .category_create import CategoryCreate
from .category_page import CategoryPage
from .category_read import CategoryRead
from .category_update import CategoryUpdate
from .field_error import FieldError
from .field_error_location import FieldErrorLocation
from .jwk_set import JWKSet
from .jwk_set_keys_item import JWKSetKeysItem
from .o_auth_error_body import OAuthErrorBody
from .order_create import OrderCreate
from .order_item_create import OrderItemCreate
from .order_line_read import OrderLineRead
from .order_page import OrderPage
from .order_read import OrderRead
from .order_status import OrderStatus
from .problem import Problem
from .product_create import ProductCreate
from .product_page import ProductPage
from .product_read import ProductRead
from .product_restock import ProductRestock
from .product_sort import ProductSort
from .product_update import ProductUpdate
from .registration_accepted import RegistrationAccepted
from .reservation_create import ReservationCreate
from .reservation_item_read import ReservationItemRead
from .reservation_line import ReservationLine
from .reservation_read import ReservationRead
from .reservation_status import ReservationStatus
from .revocation_list_document import RevocationListDocument
from .revocation_list_document_subjects import RevocationListDocumentSubjects
from .revoke_form import RevokeForm
from .server_metadata import ServerMetadata
from .token_form import TokenForm
from .token_response import TokenResponse
from .user_create import UserCreate
from .user_create_by_admin import UserCreateByAdmin
from .user_create_by_admin_roles_item import UserCreateByAdminRolesItem
from .user_page import UserPage
from .user_read import UserRead
from .user_update import UserUpdate
from .user_update_roles_type_0_item import UserUpdateRolesType0Item
from .validation_problem import ValidationProblem

__all__ = (
    "CategoryCreate",
    "CategoryPage",
    "CategoryRead",
    "CategoryUpdate",
    "FieldError",
    "FieldErrorLocation",
    "JWKSet",
    "JWKSetKeysItem",
    "OAuthErrorBody",
    "OrderCreate",
    "OrderItemCreate",
    "OrderLineRead",
    "OrderPage",
    "OrderRead",
    "OrderStatus",
    "Problem",
    "ProductCreate",
    "ProductPage",
    "ProductRead",
    "ProductRestock",
    "ProductSort",
    "ProductUpdate",
    "RegistrationAccepted",
    "ReservationCreate",
    "ReservationItemRead",
    "ReservationLine",
    "ReservationRead",
    "ReservationStatus",
    "RevocationListDocument",
    "RevocationListDocumentSubjects",
    "RevokeForm",
    "ServerMetadata",
    "TokenForm",
    "TokenResponse",
    "UserCreate",
    "UserCreateByAdmin",
    "UserCreateByAdminRolesItem",
    "UserPage",
    "UserRead",
    "UserUpdate",
    "UserUpdateRolesType0Item",
    "ValidationProblem",
)
